"""Card data rules, money and order ids. No Qt, no I/O: pure rules every other layer relies on.

card.py (KeyInCard + card field rules), money.py, order.py; messages live in errors.py.
"""
