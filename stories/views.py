from django.shortcuts import render


def story_list(request):
    return render(request, "stories/story_list.html")


def agenda_list(request):
    return render(request, "stories/agenda_list.html")
