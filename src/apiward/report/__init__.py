"""apiward.report"""
