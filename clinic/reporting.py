"""Error reports (emailed to ADMINS) that never carry patient data.

An allow-list, not a deny-list: servers put the whole URL under names nobody thinks to hide
(gunicorn's RAW_URI, REQUEST_URI elsewhere), and a new header or WSGI key must not leak by default.
A report keeps what a developer needs to find the bug: the method, the path without its query
string, the host and a few plain headers, the traceback with variable names but not values.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# The only request.META entries a report shows. Everything else (query strings, raw URIs,
# cookies, referrers, forwarded client addresses, the server's own environment) is left out.
REPORTED_META = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_HOST",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_PROTO",
    "wsgi.url_scheme",
)


class PatientDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports never carry form contents, query strings, cookies or referrers: on this site a
    POST is usually patient data, and an admin URL can hold a search for a patient's name or phone."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        # A view's local variables are the patient's data (a form, cleaned_data, an enquiry):
        # the report keeps their names and the traceback, never their values.
        return [
            (name, self.cleansed_substitute)
            for name, _value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def get_safe_request_meta(self, request):
        if request is None:
            return {}
        return {key: request.META[key] for key in REPORTED_META if key in request.META}

    def get_safe_cookies(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.COOKIES, self.cleansed_substitute)


class PatientDataReporter(ExceptionReporter):
    """Error reports show the path that failed, never its query string or uploaded file names."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
        return data
