"""Who may see and do what on criteria sets, self-assessments and gradings: one helper each.

Units see the criteria the office assigned them; the office and the leaders their agency's
self-assessment; Sở Nội vụ (people at the agency's province) every agency's once it is locked,
never a draft; other agencies nothing (404, as for plans).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from partrack.indices.models import CriteriaSet, CriterionScore, SelfAssessment, UnitGrading
from partrack.org.models import Membership, Role


@dataclass(frozen=True)
class AssessmentAccess:
    sees_all: bool = False  # every criterion: the agency's office, leaders, viewers; the province
    unit_id: int | None = None  # a unit's member: only the criteria assigned to the unit
    can_manage: bool = False  # the office: assign, fill, lock, answer the appraisal
    can_appraise: bool = False  # Sở Nội vụ: score the rounds, enter survey items
    is_province: bool = False

    def may_fill(self, sa, score):
        if not sa.is_draft or score.criterion.kind == "survey":
            return False
        return self.can_manage or (self.unit_id is not None and score.unit_id == self.unit_id)


def assessment_access(membership, sa):
    if membership is None:
        return None
    if membership.agency_id == sa.agency_id:
        if membership.role == Role.COORDINATOR:
            return AssessmentAccess(sees_all=True, can_manage=True)
        if membership.role in (Role.LEADER, Role.VIEWER, Role.ADMINISTRATOR):
            return AssessmentAccess(sees_all=True)
        if membership.unit_id is not None:
            return AssessmentAccess(unit_id=membership.unit_id)
        return None
    if membership.is_above(sa.agency) and not sa.is_draft:
        return AssessmentAccess(
            sees_all=True, can_appraise=membership.appraises(sa.agency), is_province=True
        )
    return None


def get_self_assessment_for(user, sa_id):
    """(self-assessment, AssessmentAccess) if the person may see it; 404 otherwise."""
    sa = (
        SelfAssessment.objects.select_related("agency__parent", "criteria_set")
        .filter(pk=sa_id)
        .first()
    )
    access = assessment_access(Membership.of(user), sa) if sa else None
    if access is None:
        raise Http404("No such self-assessment")
    return sa, access


def get_score_for(user, sa_id, score_id):
    """(self-assessment, score, access) for a criterion the person may see; 404 otherwise."""
    sa, access = get_self_assessment_for(user, sa_id)
    score = (
        CriterionScore.objects.select_related("criterion__parent", "unit")
        .filter(pk=score_id, self_assessment=sa)
        .first()
    )
    if score is None or (not access.sees_all and score.unit_id != access.unit_id):
        raise Http404("No such criterion")
    score.self_assessment = sa
    return sa, score, access


def visible_self_assessments(user):
    """The agency's own (drafts too) and, for the province, its agencies' locked ones."""
    membership = Membership.of(user)
    if membership is None:
        return SelfAssessment.objects.none()
    own = SelfAssessment.objects.filter(agency_id=membership.agency_id)
    below = SelfAssessment.objects.submitted().filter(agency__parent_id=membership.agency_id)
    return (own | below).for_listing()


def may_manage_sets(membership, owner):
    """Import and edit a criteria set: the owner's coordinator or administrator."""
    return membership is not None and (
        membership.agency_id == owner.pk
        and membership.role in (Role.COORDINATOR, Role.ADMINISTRATOR)
    )


def get_criteria_set_for(user, set_id):
    """A set is readable by people of its owner and of the agencies directly under it."""
    membership = Membership.of(user)
    if membership is None:
        raise Http404("No such set")
    criteria_set = (
        CriteriaSet.objects.select_related("owner")
        .filter(pk=set_id)
        .filter(Q(owner_id=membership.agency_id) | Q(owner__children__id=membership.agency_id))
        .distinct()
        .first()
    )
    if criteria_set is None:
        raise Http404("No such set")
    return criteria_set


def visible_criteria_sets(membership):
    if membership is None:
        return CriteriaSet.objects.none()
    return (
        CriteriaSet.objects.filter(
            Q(owner_id=membership.agency_id) | Q(owner__children__id=membership.agency_id)
        )
        .distinct()
        .select_related("owner")
    )


def get_grading_for(user, grading_id):
    """(grading, can_self_score, can_propose, can_approve); 404 outside the unit's agency."""
    grading = (
        UnitGrading.objects.select_related("unit__agency", "regime").filter(pk=grading_id).first()
    )
    membership = Membership.of(user)
    if grading is None or membership is None or membership.agency_id != grading.unit.agency_id:
        raise Http404("No such grading")
    if membership.role == Role.MEMBER and membership.unit_id != grading.unit_id:
        raise Http404("No such grading")
    return grading, membership
