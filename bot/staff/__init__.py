"""Tools for the partnership's staff in the chat: what people asked, words taught to the search, the change log."""
