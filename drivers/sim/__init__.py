"""Simulators that speak the real device protocols: an ESC/POS printer and a serial drawer."""
