"""Buyer messages by e-mail: Amazon's Buyer-Seller Messaging relay (notes/amazon.md §9).

imap.py (the mailbox, read through IMAP), store.py (raw mail kept first, content-addressed),
mime.py (reading any MIME: text, charsets, auto-replies), relay.py (Amazon's relay format),
threads.py (which conversation a mail belongs to), crypto.py (mailbox passwords,
encrypted), services.py (poll, import, retry: the writes)."""
