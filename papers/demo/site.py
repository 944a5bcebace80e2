"""The site's sections under the home page. Content for each comes in later steps."""
