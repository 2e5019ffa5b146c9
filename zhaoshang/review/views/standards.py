from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..models import StandardSet


@login_required
def standard_list(request):
    sets = StandardSet.objects.restrict(request.user, "view")
    return render(request, "review/standard_list.html", {"sets": sets})
