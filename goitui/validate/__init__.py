"""goitui.validate"""
