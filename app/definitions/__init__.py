"""Task definitions: generic site monitors. A definition says which task URLs it is for,
how to fetch the page, how to read it (HTML with CSS selectors, JSON with JMESPath) and how
each element becomes an item (URL, title, id, archive id)."""
