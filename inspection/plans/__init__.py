"""Plans and measurement (计划与计量): yearly plans with monthly lines, monthly statements (#17)."""
