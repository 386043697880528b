"""Controllers of the counter screen: each owns one flow and the dialogs it opens."""
