"""apiward.analytics"""
