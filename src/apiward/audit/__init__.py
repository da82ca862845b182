"""apiward.audit"""
