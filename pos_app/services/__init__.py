"""What the app does, in verbs (issue_key, charge_once, charge_again, refund, reconcile, bill),
for the window and the command line alike. No widgets. Start at `opening.open_till()` and the
verbs of `till.Till`."""
