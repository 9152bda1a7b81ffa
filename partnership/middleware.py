class HtmxMiddleware:
    """Sets `request.htmx` so views can return a partial for htmx and a full page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        response = self.get_response(request)
        if request.htmx:
            response.headers.setdefault("Vary", "HX-Request")
        return response
