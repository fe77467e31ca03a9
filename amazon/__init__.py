"""The channels to Amazon: the Buyer-Seller Messaging relay mail intake (``mail/``) and the
Selling Partner API (``spapi/``: connecting an account, the orders sync). Channels call into
the ticket domain only through its intake services and selectors, never the other way round."""
