"""The five-point scale of each dimension in our own words, written from the PACE model
(DOMAIN.md): one anchored description per point for staff, and the same in plain,
first-person words for parents. 1 is the vicious pole, 5 the virtuous pole."""

from django.utils.translation import gettext_lazy as _

STAFF_ANCHORS = {
    "understanding": {
        1: _("Confused: the parents cannot make sense of what is happening; they blame themselves or the child."),
        2: _("Puzzling: the parents notice worrying signs but do not yet connect them to exploitation."),
        3: _("Starting to understand: the parents know the child is exploited but still misread some behaviour."),
        4: _("Understanding: the parents know how grooming works and put the blame on the exploiter."),
        5: _("Knowing: the parents recognise signals early and explain to others what is happening."),
    },
    "empowerment": {
        1: _("Not in control: punishing reactions backfire, contact with the child is lost, nothing is shared."),
        2: _("Struggling: the parents try to act but feel powerless; agreed steps are not followed."),
        3: _("Taking steps: with support the parents follow parts of the plan and share some information."),
        4: _("Acting: the parents have a concrete plan, protect the child actively and share with police."),
        5: _("In control: the parents lead the plan, keep contact with the child and use help when needed."),
    },
    "resilience": {
        1: _("Emotional turmoil: the parents cannot cope; isolation, health problems, the family falls apart."),
        2: _("Under strain: the parents get through the day with great difficulty and little support."),
        3: _("Holding on: the parents cope with support and have some moments of rest."),
        4: _("Coping: the parents feel seen and supported, stay connected and are there for siblings."),
        5: _("Strong: the parents cope well, have their own network and can support others."),
    },
}

PARENT_WORDS = {
    "understanding": {
        1: _("I don't know what is happening to my child."),
        2: _("I see things, but I can't make sense of them."),
        3: _("I am starting to understand what is going on."),
        4: _("I understand what is happening, and that it is not my child's fault."),
        5: _("I know what is happening and I spot the signs early."),
    },
    "empowerment": {
        1: _("I am not in control at all."),
        2: _("I try things, but they don't work."),
        3: _("I am taking some steps, with help."),
        4: _("I know what to do and I am doing it."),
        5: _("I feel in control and I know who to turn to."),
    },
    "resilience": {
        1: _("I can't cope."),
        2: _("I get through the day, just about."),
        3: _("I am holding on, with help."),
        4: _("I am coping and I can be there for my children."),
        5: _("I am coping well and I feel strong."),
    },
}

PARENT_QUESTIONS = {
    "understanding": _("Do you understand what is happening to your child?"),
    "empowerment": _("Do you feel you can do something about it?"),
    "resilience": _("How are you coping?"),
}
