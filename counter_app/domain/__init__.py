"""Pure-Python domain: money, accounts, tenders, allocation, receipts. No Qt, no SQL, no I/O."""
