"""Subject access (GDPR art. 15, AVG): everything the system holds about one parent or
caregiver, or about one child, as a document an administrator can hand over, together
with what was withheld, why and how much of it, but never what it says.

What is withheld, and why (see docs/subject-access.md):
- people of concern and the names in incident records, police-only plan parts and police
  notes: to protect others and for the prevention and investigation of crime;
- whether a caregiver is suspected: listed in every export, never counted, so the list
  neither confirms nor denies it;
- plan parts for staff and police only, staff working notes (supervision, handovers,
  staff comments on the plan, referral and closing notes, notes on the parents' needs),
  notes of contacts with the police and multi-agency meetings, and drafts of the plan not yet shared with the
  parents: to protect the child and others;
- what other people wrote or gave about themselves, where it can be separated;
- for a child, what a parent shared in confidence (the child must not know): entirely;
- of a criminal case, everything the police did not approve for the parents to read:
  the police reference, people of concern, staff and police notes, texts not approved,
  and dates and planned steps the police did not release. Whether a case exists that the
  export does not show, and whether a caregiver is its suspect, is listed in every export
  without a count, neither confirmed nor denied.
- whether there is a concern that a parent or caregiver is involved (the screen for
  exploitation within the family, the concern, the Meldcode steps, protective mode): in
  no export at all, a line in every export without a count, neither confirmed nor denied;
- for a child seen alone, what it was possible to discuss (the date, the professional,
  the agency and the place are in the child's own export);
- while protective mode holds, what was recorded since it started: every export stands
  still like the parents' portal, and says nothing of it.
A suspected caregiver receives what they gave themselves, not the family's case file.

Every export costs a fixed number of queries however long the family's history is.
"""

from liaison.privacy.subject_access.child import subject_access_for_child
from liaison.privacy.subject_access.export import SubjectAccessExport, as_json
from liaison.privacy.subject_access.member import subject_access_for_member
from liaison.privacy.subject_access.search import subject_search

__all__ = [
    "SubjectAccessExport",
    "as_json",
    "subject_access_for_child",
    "subject_access_for_member",
    "subject_search",
]
