"""The end-of-day PDFs (reportlab, Letter): one module per report — ``drawer``, ``deposit``,
``daily``, ``payments``, ``checks`` — each turning the domain's values into PDF bytes
through ``common`` (the page, the styles, money cells, tables that break across pages)."""
