from django.views.debug import SafeExceptionReporterFilter


class PatientDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports never carry form contents: on this site a POST is usually patient data."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def is_active(self, request):
        return True
