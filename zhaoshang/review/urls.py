from django.urls import path

from .views import cases, standards

app_name = "review"

urlpatterns = [
    path("standards/", standards.standard_list, name="standard-list"),
    path("", cases.ReviewListView.as_view(), name="review-list"),
    path("add/", cases.review_add, name="review-add"),
    path("<int:pk>/", cases.review_detail, name="review-detail"),
    path("<int:pk>/submit/", cases.review_submit, name="review-submit"),
    path("<int:pk>/return/", cases.review_return, name="review-return"),
    path("<int:pk>/assign/", cases.review_assign, name="review-assign"),
    path("<int:pk>/decide/", cases.review_decide, name="review-decide"),
    path("<int:pk>/commit/", cases.review_commit, name="review-commit"),
    path("<int:pk>/results/add/", cases.review_result, name="review-result"),
    path("assignments/<int:pk>/score/", cases.assignment_score, name="assignment-score"),
    path("assignments/<int:pk>/conflict/", cases.assignment_conflict, name="assignment-conflict"),
    path("supervision/", cases.supervision_page, name="supervision"),
    path("supervision/export/", cases.supervision_export, name="supervision-export"),
]
