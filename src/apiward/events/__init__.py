"""apiward.events"""
