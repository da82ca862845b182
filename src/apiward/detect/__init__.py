"""apiward.detect"""
