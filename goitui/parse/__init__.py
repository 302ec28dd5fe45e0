"""goitui.parse"""
