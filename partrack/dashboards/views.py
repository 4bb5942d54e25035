from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.dashboards import services
from partrack.dashboards.access import (
    get_public_plan,
    get_public_switch_for,
    get_ranking_weights_for,
)
from partrack.dashboards.figures import STATE_ORDER, Overview, area_and_month_figures, total_row
from partrack.dashboards.forms import PublicSwitchForm, RankingWeightsForm
from partrack.dashboards.models import PublicPlan, RankingWeights
from partrack.dashboards.ranking import (
    TERMS,
    TIE_RULE,
    find_scope,
    format_points,
    formula,
    ranking_for,
    scopes_of,
    worked_formula,
)
from partrack.dashboards.spreadsheet import ranking_xlsx
from partrack.org.models import Membership
from partrack.pagination import paginate
from partrack.plans.access import get_plan_for
from partrack.plans.models import State
from partrack.vietnamese import ascii_slug

DUE_AHEAD_DAYS = 30
OVERVIEW_LIST_SIZE = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_overview(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    today = timezone.localdate()
    overview = Overview.build(plan, today=today)
    plan_url = plan.get_absolute_url()  # every figure links to it: reversed once, not per cell
    ctx = {
        "plan": plan,
        "plan_url": plan_url,
        "today": today,
        "overview": overview,
        "counts": overview.counts,
        "states": State,
        "state_order": STATE_ORDER,
        "period": overview.period,
        "overdue": overview.overdue_tasks()[:OVERVIEW_LIST_SIZE],
        "overdue_total": overview.counts[State.OVERDUE],
        "due_ahead": Paginator(
            overview.due_ahead_tasks(DUE_AHEAD_DAYS), OVERVIEW_LIST_SIZE
        ).get_page(request.GET.get("due_page")),
        "due_ahead_days": DUE_AHEAD_DAYS,
        "due_soon_days": settings.PARTRACK_DUE_SOON_DAYS,
        "chart_data": overview.chart_data(plan_url),
        "can_publish": Membership.coordinates(request.user, plan.agency_id),
    }
    if ctx["can_publish"]:
        ctx["public_page"] = PublicPlan.objects.filter(plan=plan).first()
    return render(request, "dashboards/overview.html", ctx)


def archived_plan(request, plan):
    """An archived plan ranks no one: say so on its page."""
    messages.info(request, _("Kế hoạch đã lưu trữ không có xếp hạng."))
    return redirect("plan_facts", plan.pk)


def chosen_scope(request, plan):
    """The scope named by ?ky= (the year when absent or unknown), and every scope to choose."""
    scopes = scopes_of(plan, timezone.localdate())
    return find_scope(scopes, request.GET.get("ky", "")), scopes


@login_required
def plan_ranking(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    if plan.is_archived:
        return archived_plan(request, plan)
    scope, scopes = chosen_scope(request, plan)
    weights = RankingWeights.for_agency(plan.agency)
    ranking = ranking_for(plan, scope, weights)
    rows = [
        (result, worked_formula(result, weights), format_points(result.score))
        for result in ranking.results
    ]
    ties = [
        (rank, format_points(score), [m.unit for m in members])
        for rank, score, members in ranking.ties
    ]
    ctx = {
        "plan": plan,
        "scope": scope,
        "scopes": scopes,
        "ranking": ranking,
        "rows": rows,
        "ties": ties,
        "unranked": [(result, worked_formula(result, weights)) for result in ranking.unranked],
        "tie_rule": TIE_RULE,
        "weights": weights,
        "terms": [(str(label), getattr(weights, name)) for name, label in TERMS],
        "formula": formula(weights),
        "can_edit_weights": Membership.coordinates(request.user, plan.agency_id),
        # The plan page filters by today's state: its lists match the year's figures only.
        "links": scope.is_year and scope.as_of == timezone.localdate(),
    }
    return render(request, "dashboards/ranking.html", ctx)


@login_required
def plan_ranking_xlsx(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    if plan.is_archived:
        return archived_plan(request, plan)
    scope, _scopes = chosen_scope(request, plan)
    ranking = ranking_for(plan, scope, RankingWeights.for_agency(plan.agency))
    name = (
        f"xep-hang-{ascii_slug(scope.label)}-{ascii_slug(plan.agency.short_name, 'co-quan')}.xlsx"
    )
    return FileResponse(
        BytesIO(ranking_xlsx(plan, ranking)),
        as_attachment=True,
        filename=name.lower(),
        content_type=XLSX_TYPE,
    )


@login_required
def ranking_weights(request, plan_id):
    plan, weights = get_ranking_weights_for(request.user, plan_id)
    fields = list(RankingWeightsForm.base_fields)
    if request.method == "POST":
        form = RankingWeightsForm(request.POST)
        if form.is_valid():
            services.set_ranking_weights(
                agency=plan.agency, by=request.user, now=timezone.now(), **form.cleaned_data
            )
            messages.success(request, _("Đã lưu trọng số xếp hạng."))
            return redirect("plan_ranking", plan.pk)
    else:
        form = RankingWeightsForm(initial={name: getattr(weights, name) for name in fields})
    return render(
        request,
        "dashboards/weights.html",
        {"plan": plan, "weights": weights, "form": form, "defaults": RankingWeights.DEFAULTS},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_public_switch(request, plan_id):
    plan, _page = get_public_switch_for(request.user, plan_id)
    form = PublicSwitchForm(request.POST)
    form.is_valid()
    enabled = form.cleaned_data.get("enabled", False)
    services.set_plan_public(plan=plan, enabled=enabled, by=request.user, now=timezone.now())
    if enabled:
        messages.success(request, _("Đã bật trang công khai của kế hoạch."))
    else:
        messages.success(request, _("Đã tắt trang công khai của kế hoạch."))
    return redirect("plan_overview", plan.pk)


def public_plan(request, token):
    """The plan's progress for anyone with the link: no names of people, no notes, no files."""
    page = get_public_plan(token)
    plan = page.plan
    today = timezone.localdate()
    areas, _months = area_and_month_figures(plan, today=today)
    tasks = paginate(request, plan.tasks.for_listing().with_state(today))
    response = render(
        request,
        "dashboards/public_plan.html",
        {
            "plan": plan,
            "today": today,
            "areas": areas,
            "total_row": total_row(areas),
            "page": tasks,
            "state_order": STATE_ORDER,
        },
    )
    # Known to those given the link, not to search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
