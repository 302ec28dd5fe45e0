"""goitui.testing"""
