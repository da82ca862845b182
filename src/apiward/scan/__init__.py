"""apiward.scan"""
