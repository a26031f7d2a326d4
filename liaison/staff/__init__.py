"""Staff work across families: caseload, attention lists, handovers, the team dashboard
and reports, reminders, team settings, invitations and emergency access."""
