class IgnoreBrowserLanguageMiddleware:
    """Dutch unless the user chose otherwise: the language switch (cookie) decides, not the
    browser's Accept-Language, so a Dutch professional with an English browser still gets the
    Dutch product. Goes right before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
