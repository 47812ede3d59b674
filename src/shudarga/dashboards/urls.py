from __future__ import annotations

from django.urls import path

from shudarga.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("my/", views.my_work, name="my_work"),
    path("o/<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("o/<str:code>/dashboard/goals.<str:fmt>", views.chart_goals, name="chart_goals"),
    path("o/<str:code>/dashboard/criteria.<str:fmt>", views.chart_criteria, name="chart_criteria"),
    path("o/<str:code>/children/", views.children, name="children"),
    path("o/<str:code>/children/export.xlsx", views.children_xlsx, name="children_xlsx"),
    path("o/<str:code>/calendar/", views.calendar, name="calendar"),
    path("o/<str:code>/search/", views.search, name="search"),
    path("my/notifications/", views.notifications, name="notifications"),
    path("my/calendar-feed/", views.feed, name="feed"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("o/<str:code>/plans/<int:plan_id>/rollover/", views.rollover, name="rollover"),
    path(
        "o/<str:code>/plans/<int:plan_id>/year-changes/",
        views.year_changes,
        name="year_changes",
    ),
]
