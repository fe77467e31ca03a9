from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "CSM Desk administration"
admin.site.site_title = "CSM Desk"
admin.site.index_title = "Seller accounts, tickets, reviews and account health"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
