"""apiward.demo"""
