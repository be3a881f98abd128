# After the build, write what Jekyll read from every article to lint-news-data.json:
# "psych", the page data of this (Debian) Jekyll, which reads with Psych.safe_load; and
# "safe_yaml", what upstream Jekyll's SafeYAML.load makes of the same frontmatter. Values
# keep their Ruby type: JSON strings, integers, booleans and null are Ruby's own; anything
# else is {"ruby": class name, ...}.
require "json"
require_relative "optional_safe_yaml"

module LintNewsData
  FRONT_MATTER = %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m.freeze

  def self.typed(value)
    case value
    when Hash
      if value.keys.all? { |key| key.is_a?(String) }
        value.to_h { |key, item| [key, typed(item)] }
      else
        {"ruby" => "Hash", "keys" => value.keys.map { |key| typed(key) }}
      end
    when Array then value.map { |item| typed(item) }
    when String, Integer, TrueClass, FalseClass, NilClass then value
    when Float then {"ruby" => "Float", "value" => value.finite? ? value : value.to_s}
    else {"ruby" => value.class.name}
    end
  end

  # Upstream Jekyll: the file read as UTF-8 without its BOM, the frontmatter cut by Jekyll's
  # own pattern, then SafeYAML.load (Jekyll::Document#read_content before Debian's patch).
  def self.upstream(path)
    text = File.read(path, encoding: "bom|utf-8")
    return {"ruby" => "no frontmatter"} unless text =~ FRONT_MATTER

    data = SafeYAML.load(Regexp.last_match(1))
    data.is_a?(Hash) ? typed(data) : {"ruby" => "error", "read" => typed(data)}
  rescue StandardError => e
    {"ruby" => "error", "message" => e.class.name}
  end

  def self.own_data(doc)
    doc.data.reject { |key, value| key == "excerpt" && value.is_a?(Jekyll::Excerpt) }
  end
end

Jekyll::Hooks.register :site, :post_write do |site|
  docs = site.collections["news"].docs.to_h do |doc|
    [doc.relative_path, {"psych" => LintNewsData.typed(LintNewsData.own_data(doc)), "safe_yaml" => HAVE_SAFE_YAML ? LintNewsData.upstream(doc.path) : nil}]
  end
  File.write(File.join(site.source, "lint-news-data.json"), JSON.generate(docs))
end
