"""Hardware: the receipt printer and the cash drawer, behind two small protocols.

``printer.ReceiptPrinter`` / ``printer.make_printer`` and ``drawer.CashDrawer`` /
``drawer.make_drawer`` are the public face; every failure is a ``errors.DriverError`` whose
message a cashier can act on. ``sim/`` holds simulators that speak the real protocols.
Nothing here imports Qt or SQLAlchemy.
"""
