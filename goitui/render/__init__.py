"""goitui.render"""
