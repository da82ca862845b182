"""Private helpers of the validation policies: option checking, compiled schema validators, JSON limits."""
