// Version policy, registry clients and notifiers over Transport. Filled by issues 5, 6 and 7.
