"""Dashboards: the market overview, a provider's dashboard, a lot's view and
the RAG (red, amber, green) rules behind them. Pages read the stored
`MonthlyKpi` results only; nothing here recomputes a KPI."""
