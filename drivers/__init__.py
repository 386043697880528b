"""Hardware: the receipt printer and the cash drawer, behind the protocols of ``interfaces``.

Each device takes its own plain parameters (``params``); ``printer.make_printer`` and
``drawer.make_drawer`` build the backends; a printer prints printer-neutral lines
(``paper``); every failure is an ``errors.DriverError`` whose message a cashier can act on.
``sim/`` holds simulators that speak the real protocols. Nothing here imports Qt, SQLAlchemy
or Counter's settings.
"""
