"""goitui.diff"""
