"""goitui.archive"""
