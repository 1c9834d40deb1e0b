from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Request details that can carry what a patient typed or a search for a patient.
PATIENT_META = {"QUERY_STRING", "HTTP_REFERER", "HTTP_COOKIE"}


class PatientDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports never carry form contents, query strings or referrers: on this site a POST is
    usually patient data, and an admin URL can hold a search for a patient's name or phone."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        # A view's local variables are the patient's data (a form, cleaned_data, an enquiry):
        # the report keeps their names and the traceback, never their values.
        return [
            (name, self.cleansed_substitute)
            for name, _value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {
            key: self.cleansed_substitute if key in PATIENT_META else value
            for key, value in meta.items()
        }


class PatientDataReporter(ExceptionReporter):
    """Error reports show the path that failed, never its query string."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_insecure_uri"] = self.request.path
        return data
