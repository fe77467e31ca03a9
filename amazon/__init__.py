"""The channels to Amazon: the Buyer-Seller Messaging relay mail intake (``mail/``), later
the SP-API client and its sync. Channels call into the ticket domain only through its
intake services and selectors, never the other way round."""
