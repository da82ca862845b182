"""apiward.state"""
