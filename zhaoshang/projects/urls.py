from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("add/", views.ProjectCreateView.as_view(), name="project-add"),
    path("export.xlsx", views.ProjectExportView.as_view(), name="project-export"),
    path("template.xlsx", views.ProjectTemplateView.as_view(), name="project-template"),
    path("import/", views.ProjectImportView.as_view(), name="project-import"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("lookup/", views.lookup, name="lookup"),
    path("board/", views.board, name="board"),
    path("speed/", views.speed, name="speed"),
    path("<int:pk>/move/", views.board_move_form, name="board-move"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-edit"),
    path("<int:pk>/transition/", views.project_transition, name="project-transition"),
    path("<int:pk>/correct-date/", views.project_correct_date, name="project-correct-date"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    *(
        path(
            f"<int:pk>/{plural}/add/",
            views.ProjectRecordCreateView.as_view(model=model, form_class=form),
            name=f"{kind}-add",
        )
        for kind, (plural, model, form) in views.RECORD_VIEWS.items()
    ),
]
