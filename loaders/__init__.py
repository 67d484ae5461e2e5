"""Read datasets (CSV directory, XLSX workbook, JSON file), validate them and build the graph."""
