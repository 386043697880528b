"""What goes on paper: the domain's receipt → printer-neutral lines (``drivers.paper``).

``layout`` lays receipts and the test page out (pure); ``printer.StationPrinter`` puts that
layout in front of a driver so the GUI and the CLI call ``print_receipt(receipt)``;
``preview`` shows the same layout as text (and, where the station has one, the picture a
printer simulator drew); ``interfaces`` holds the protocols the GUI sees devices through.
No Qt, no SQLAlchemy, no device backend.
"""
