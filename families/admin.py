# Case data is deliberately not in the Django admin: every read of a family goes
# through the access policy (liaison/access/) and the audited case pages.
