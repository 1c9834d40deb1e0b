"""Moving in from another site: reading Webflow and WordPress exports into posts and stories."""
