# SafeYAML, upstream Jekyll's front matter reader, when it can be loaded: it is not a Debian
# package and RubyGems is out of reach here, so it is used when RUBYLIB holds a copy
# (LINT_NEWS_SAFE_YAML_LIB in the tests); HAVE_SAFE_YAML says whether it is there. Shared by
# the plugin beside this file and by tests/jekyll/readers.rb.
unless defined?(HAVE_SAFE_YAML)
  begin
    require "safe_yaml/load"
    SafeYAML::OPTIONS[:suppress_warnings] = true
    HAVE_SAFE_YAML = true
  rescue LoadError
    HAVE_SAFE_YAML = false
  end
end
