"""apiward.gateway"""
