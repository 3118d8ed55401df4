from django.shortcuts import render


def campaign_list(request):
    return render(request, "advocacy/campaign_list.html")
