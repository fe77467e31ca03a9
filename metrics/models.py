# The metrics app owns the account-health formulas (ODR, response time, FBM shipping
# rates) and their daily snapshots; it reads the ticket and review models.
